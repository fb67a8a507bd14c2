"""Okta's `/api/v1/iam` area: custom admin roles, resource sets and their bindings (`custom`),
the list of users holding any admin role (`assignees`), and admin roles of OAuth service apps
(`clients`). Standard roles of users and groups live in `directory/roles.py`."""
