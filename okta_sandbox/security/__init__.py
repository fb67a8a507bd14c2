"""Org-wide security settings: ThreatInsight and the Okta Admin Console's session settings."""
