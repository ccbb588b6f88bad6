from diary import create_app
from diary.config import one_line_on_startup_error

with one_line_on_startup_error():  # no traceback for a mistake in the settings or folders
    app = create_app()
