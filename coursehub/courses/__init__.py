"""The courses area; its blueprint is in `coursehub.courses.views`."""
