// The diary's service worker. It keeps the versioned static files (their URL changes whenever
// their content does) and a page that says "you are offline". It never stores a page with health
// data, and never answers a POST: a save without a network must fail where the patient sees it.
// /sw.js (diary/installable.py) fills in the two values below.
"use strict";

var CACHE_NAME = "__CACHE_NAME__";
var OFFLINE_ASSETS = ["__OFFLINE_ASSETS__"];
var OFFLINE_URL = "/offline";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE_NAME).then(function (cache) {
    // Without cookies: the offline page must be the anonymous one, with no name and no token.
    return fetch(new Request(OFFLINE_URL, { credentials: "omit" })).then(function (response) {
      if (!response.ok) throw new Error("offline page answered " + response.status);
      return cache.put(OFFLINE_URL, response);
    }).then(function () {
      return cache.addAll(OFFLINE_ASSETS);
    });
  }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE_NAME; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () {
    return self.clients.claim();
  }));
});

function isVersionedStatic(url) {
  return url.pathname.indexOf("/static/") === 0 && url.searchParams.has("v");
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return; // saving always goes straight to the server
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    // Pages come from the network only; the offline page stands in when there is none.
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE_URL);
    }));
    return;
  }
  if (isVersionedStatic(url)) {
    event.respondWith(caches.open(CACHE_NAME).then(function (cache) {
      return cache.match(request).then(function (cached) {
        return cached || fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        });
      });
    }));
  }
});

// A reminder (diary/reminders/delivery.py): {"title": "Time to log today's pain", "url": "/today"}.
// It never carries health data, and the notification shows only its title: lock screens are public.
self.addEventListener("push", function (event) {
  var message = { title: "Time to log today's pain", url: "/today" };
  try {
    if (event.data) message = event.data.json();
  } catch (error) {
    // Not ours, or unreadable: the plain reminder still helps.
  }
  event.waitUntil(self.registration.showNotification(message.title, {
    data: { url: sameOriginPath(message.url) },
    tag: "reminder", // a newer reminder replaces an unread one instead of piling up
  }));
});

function sameOriginPath(url) {
  var target = new URL(url || "/today", self.location.origin);
  return target.origin === self.location.origin ? target.pathname + target.search : "/today";
}

// Tapping the notification opens its link: in a diary window already open, or a new one.
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = new URL(sameOriginPath(event.notification.data && event.notification.data.url), self.location.origin).href;
  var opening = self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    var open = windows.find(function (client) { return "focus" in client; });
    if (open) return open.navigate(url).then(function (client) { return (client || open).focus(); });
    return self.clients.openWindow(url);
  });
  event.waitUntil(opening);
});
