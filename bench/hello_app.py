"""The floor for bench/gunicorn.py's throughput ratio: Flask answering "hello", nothing else."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
