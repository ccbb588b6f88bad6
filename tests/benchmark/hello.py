"""The ceiling: a bare Flask app, served by the same gunicorn setup as the diary."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
@app.route("/health")
def hello():
    return "Hello, world!"
