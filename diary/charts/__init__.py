"""The trend pages and their plotly charts: figures built on the server, drawn by static/js/charts.js."""
