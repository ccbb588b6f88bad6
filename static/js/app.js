// Small progressive enhancements. Everything works without this file.
(function () {
  "use strict";

  // Fill the time zone from the phone, unless the patient already chose one, and put the
  // phone's zone on top of the list ("Your zone", as the server does for a zone already chosen).
  function fillTimeZone(root) {
    root.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
      if (select.dataset.touched) return;
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
      if (known && (select.value === "" || select.value === "UTC" || select.selectedIndex === 0)) {
        var top = select.querySelector("optgroup");
        if (!top || top.label !== "Your zone") {
          var group = document.createElement("optgroup");
          group.label = "Your zone";
          var option = document.createElement("option");
          option.value = zone;
          option.textContent = zone.replace(/_/g, " ");
          group.appendChild(option);
          select.insertBefore(group, select.firstChild);
        }
        select.selectedIndex = 0;
      }
      select.addEventListener("change", function () { select.dataset.touched = "yes"; });
    });
  }

  // Move focus to the error summary so screen readers announce what to fix.
  function focusErrors(root) {
    var summary = root.querySelector(".error-summary");
    if (summary) summary.focus();
  }

  function announce(message) {
    var alerts = document.getElementById("alerts");
    if (!alerts) return;
    var note = document.createElement("p");
    note.className = "flash flash-error";
    note.textContent = message;
    alerts.replaceChildren(note);
    alerts.scrollIntoView({ block: "nearest" });
  }

  // Buttons that need JavaScript stay hidden without it.
  function enableButtons(root) {
    root.querySelectorAll("[data-copy-target]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copyTarget);
        navigator.clipboard.writeText(source.value).then(function () { button.textContent = "Copied"; });
      });
    });
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        // Charts are drawn only when scrolled to (static/js/charts.js): draw them all first.
        var charts = window.diaryCharts;
        (charts ? charts.drawAll() : Promise.resolve()).then(function () { window.print(); });
      });
    });
  }

  // PHQ-9 item 9: show the crisis lines as soon as an answer other than "Not at all" is tapped
  // (without JavaScript the safety page follows the save).
  function watchSafetyItem(root) {
    root.querySelectorAll("[data-safety-item]").forEach(function (group) {
      var notice = group.parentNode.querySelector("[data-safety-notice]");
      if (!notice) return;
      group.addEventListener("change", function (event) {
        notice.hidden = event.target.value === "0" || event.target.value === "";
      });
    });
  }

  // The service worker (static/sw.js) keeps the static files and an offline page; never data.
  function registerServiceWorker() {
    var url = document.documentElement.dataset.serviceWorker;
    if (url && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(url).catch(function () {
        // Not installable here (private window, old browser): the diary works the same without.
      });
    }
  }

  // Reminders on this device: the browser makes a push subscription for the diary's VAPID key,
  // and the form (a real POST) sends its endpoint and keys to the server.
  function offerPushReminders(root) {
    root.querySelectorAll("form[data-push-subscribe]").forEach(function (form) {
      if (!("serviceWorker" in navigator) || !("PushManager" in window)) return;
      var button = form.querySelector("button");
      button.hidden = false;
      form.addEventListener("submit", function (event) {
        if (form.elements.endpoint.value) return; // filled in: send it
        event.preventDefault();
        Notification.requestPermission().then(function (permission) {
          if (permission !== "granted") throw new Error("notifications not allowed");
          return navigator.serviceWorker.ready;
        }).then(function (registration) {
          return registration.pushManager.subscribe({
            userVisibleOnly: true, applicationServerKey: form.dataset.vapidKey });
        }).then(function (subscription) {
          var keys = subscription.toJSON().keys;
          form.elements.endpoint.value = subscription.endpoint;
          form.elements.p256dh.value = keys.p256dh;
          form.elements.auth.value = keys.auth;
          form.submit();
        }).catch(function () {
          announce("This device cannot show reminders: notifications are blocked or not supported. You can allow them in the browser's settings, or choose e-mail.");
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    offerPushReminders(document);
    fillTimeZone(document);
    focusErrors(document);
    enableButtons(document);
    watchSafetyItem(document);
    registerServiceWorker();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    fillTimeZone(event.detail.elt);
    focusErrors(event.detail.elt);
  });
  // Nothing was saved: say so, and leave the form as it is with what was typed.
  document.addEventListener("htmx:sendError", function () {
    announce("No connection: nothing was saved. Your answers are still on the page; try again when you are back online.");
  });
  document.addEventListener("htmx:responseError", function (event) {
    announce("That did not work (error " + event.detail.xhr.status + "). Nothing was changed. Please reload the page and try again.");
  });
})();
