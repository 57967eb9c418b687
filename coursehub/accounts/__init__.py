"""Users, roles, municipalities, households, login, invitations, password reset, audit log.

The blueprint lives in `coursehub.accounts.views` (imported by create_app), so that importing the
models of this core area never pulls in views.
"""
