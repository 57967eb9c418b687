"""Every write and rule of the forum area.

- `networks`: networks, memberships and moderators (staff and admins manage them);
- `discussions`: subjects, threads, posts, edits, moderation and read markers;
- `notify`: subscriptions, mails at once and the daily digest, unsubscribing.

Services flush, never commit; they take the actor explicitly and raise a ForumError with a
message fit to show a person.
"""
