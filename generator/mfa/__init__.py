"""MFA for every user: who can sign in with one factor (`paths`, `posture`), who has no factor
enrolled (`coverage`), and the opt-in enforcement rendered from `mfa:` in the config (the
desired state's `mfa`, rendered by `generator.render.mfa`)."""
