"""The plotly charts of the trend pages and the report: figures built on the server as plain data
(diary.charts.figures), drawn by static/js/charts.js. The pages are in diary.trends_views."""
