"""The enrollment area; its blueprint is in `coursehub.enrollment.views`."""
