from diary import create_app
app = create_app()
