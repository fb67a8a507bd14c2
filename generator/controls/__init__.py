"""Okta's own post-breach controls, checked by drift and shown in the report's `controls`
section: one module per check (`checks/`) behind one interface (`base.ControlCheck`), the extra
reads they need (`reads`), and the list drift runs (`registry`)."""
