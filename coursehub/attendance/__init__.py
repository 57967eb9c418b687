"""The attendance area; its blueprint is in `coursehub.attendance.views`."""
