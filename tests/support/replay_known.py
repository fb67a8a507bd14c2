"""The emulator's remaining differences from real Okta, as the replay of the recorded traffic
(`replay.py`) shows them: each with its reason and a recorded interaction that shows it.

`tests/okta_sandbox/test_sandbox_replay.py` fails on any difference not listed here and on any
entry that no longer occurs, so this list is exact; docs/sandbox.md ("Known differences from
real Okta") is generated from it (`markdown_table`) and checked to be current.

Scopes: `all` (always), `classic` (the recordings of a Classic Engine org, classic-00: the
emulator is an Identity Engine org) and `window` (Okta answered so only in recordings made in
[since, until): its behaviour changed, and the emulator follows the newest recordings).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from cassettes import Interaction
from replay_compare import Difference


@dataclass(frozen=True)
class Known:
    family: str  # the interaction's family, fnmatch pattern ("rules.ACCESS_POLICY*")
    kind: str  # Difference.kind
    field: str  # fnmatch pattern of Difference.field
    reason: str
    evidence: str  # "<cassette>#<index>" under ../shared/okta/recordings/.../idaas/
    scope: str = "all"  # "all" | "classic" | "window"
    since: str = ""  # window start (ISO date, inclusive)
    until: str = ""  # window end (ISO date, exclusive)

    def matches(self, item: Interaction, difference: Difference) -> bool:
        return (
            fnmatchcase(item.family, self.family)
            and difference.kind == self.kind
            and fnmatchcase(difference.field, self.field)
            and self.in_scope(item)
        )

    def in_scope(self, item: Interaction) -> bool:
        if self.scope == "classic":
            return item.cassette.endswith("/classic-00")
        if self.scope == "window":
            return self.since <= item.recorded < self.until
        return True


CLASSIC = "classic"
WINDOW = "window"
KNOWN: tuple[Known, ...] = (
    # ---- authentication policy rules ----------------------------------------------------
    Known(
        "rules.ACCESS_POLICY*",
        "EXTRA",
        "*conditions.riskScore",
        "Okta's default `riskScore: {level: ANY}` on a new rule came and went: present in the "
        "oldest and the newest recordings (2026-06), absent in those of 2026-02 to 2026-05; "
        "the emulator adds it, as the newest do",
        "TestAccResourceOktaAppSignOnPolicyRule_crud/oie-00#9",
        WINDOW,
        "2026-01-01",
        "2026-06-01",
    ),
    # ---- global session policies ----------------------------------------------------------
    Known(
        "policies.OKTA_SIGN_ON",
        "VALUE",
        "priority",
        "two policies created without a priority both read back at priority 2 (Okta shows a "
        "shared priority); the emulator keeps priorities unique (2 and 3)",
        "TestAccResourceOktaPolicyRuleSignon_GH2419/classic-00#5",
    ),
    # ---- zones ----------------------------------------------------------------------------
    Known(
        "zones*",
        "ORDER",
        "locations*",
        "Okta returns a dynamic zone's locations in an order of its own (neither as sent nor "
        "sorted); the emulator keeps the order sent",
        "TestAccResourceOktaNetworkZone_crud/oie-00#2",
    ),
    # ---- apps -----------------------------------------------------------------------------
    Known(
        "apps",
        "MISSING",
        "*universalLogout",
        "apps of other kinds carry `universalLogout: {status: UNSUPPORTED}`",
        "TestAccResourceOktaAppSignOnPolicyRule_AUTH_METHOD_CHAIN/oie-00#10",
    ),
    Known(
        "apps",
        "MISSING_NULL",
        "*universalLogout",
        "the first-party apps carry `universalLogout: null`, which the spec does not allow: "
        "the emulator omits it",
        "TestAccResourceOktaAppBookmarkApplication_PR1366_authentication_policy/"
        "skip-auth-policy-00#17",
    ),
    Known(
        "apps",
        "MISSING_NULL",
        "*accessibility.*RedirectUrl",
        "the first-party apps carry `errorRedirectUrl`/`loginRedirectUrl: null`, which the spec "
        "does not allow: the emulator omits them",
        "TestAccResourceOktaAppBookmarkApplication_PR1366_authentication_policy/"
        "skip-auth-policy-00#17",
    ),
    Known(
        "apps",
        "VALUE",
        "*settings.emOptInStatus",
        "some first-party apps of the recorded orgs have `emOptInStatus: ENABLED` (an org "
        "setting); the emulator's are NONE",
        "TestAccResourceOktaAppSignOnPolicyRule_AUTH_METHOD_CHAIN/oie-00#10",
    ),
    Known(
        "apps",
        "EXTRA",
        "_links.accessPolicy",
        "a Classic Engine org has no authentication policies to link",
        "TestAccResourceOktaAdminRoleTargets_crud/classic-00#6",
        CLASSIC,
    ),
    Known(
        "apps",
        "EXTRA",
        "_links.policies",
        "a Classic Engine org has no authentication policies to assign",
        "TestAccResourceOktaAdminRoleTargets_crud/classic-00#6",
        CLASSIC,
    ),
    Known(
        "apps",
        "EXTRA",
        "_links.profileEnrollment",
        "a Classic Engine org has no profile enrollment policy to link",
        "TestAccResourceOktaAdminRoleTargets_crud/classic-00#6",
        CLASSIC,
    ),
    Known(
        "apps",
        "STATUS",
        "",
        "Okta answered a transient 500 (`E0000009`) to deleting an inactive app, twice, before "
        "the provider's third attempt deleted it; the emulator deletes it at once",
        "TestAccResourceOktaAppSignOnPolicyRule_crud/oie-00#162",
    ),
    # ---- users and groups -----------------------------------------------------------------
    Known(
        "users*",
        "EXTRA",
        "*realmId",
        "users carry their realm (`realmId`) only since late 2025",
        "TestAccDataSourceOktaUser_SkipAdminRoles/oie-00#1",
        WINDOW,
        "",
        "2025-12-01",
    ),
    Known(
        "groups.members",
        "EXTRA",
        "*realmId",
        "group members carry their realm only since late 2025",
        "TestAccDataSourceOktaUsers_readWithGroupId/oie-00#13",
        WINDOW,
        "",
        "2025-12-01",
    ),
    Known(
        "users*",
        "EXTRA",
        "_links.resetFactors",
        "a user links `resetFactors` only since late 2025",
        "TestAccDataSourceOktaUser_SkipAdminRoles/oie-00#1",
        WINDOW,
        "",
        "2025-12-01",
    ),
    Known(
        "*groups*",
        "EXTRA",
        "*_links.owners",
        "a group links its `owners` only since late 2025",
        "TestAccDataSourceOktaGroups_read/oie-00#6",
        WINDOW,
        "",
        "2025-12-01",
    ),
    Known(
        "users",
        "ORDER",
        "[]",
        "users are listed in id order; Okta's ids grow with time but not with the order of "
        "concurrent requests (the provider creates in parallel), the emulator's follow the "
        "order the replay sends them",
        "TestAccDataSourceOktaUsers_read/classic-00#12",
    ),
    Known(
        "groups.members",
        "ORDER",
        "[]",
        "group members are listed in id order (see the users' order)",
        "TestAccDataSourceOktaUsers_readWithGroupIdIncludingGroups/classic-00#21",
    ),
    Known(
        "users.groups",
        "ORDER",
        "[]",
        "a user's groups are listed in id order (see the users' order)",
        "TestAccResourceOktaUserGroupMemberships_crud/oie-00#16",
    ),
    Known(
        "users.lifecycle",
        "BODY",
        "",
        "deactivating a user answers `{}`; the spec (and the emulator) send no body",
        "TestAccResourceOktaUser_statusDeprovisioned/oie-00#5",
    ),
    Known(
        "users",
        "VALUE",
        "[].status",
        "a Classic Engine org lists a user it is still activating as STAGED with "
        "`transitioningToStatus: PROVISIONED`; the emulator activates at once",
        "TestAccDataSourceOktaUsers_read/classic-00#12",
        CLASSIC,
    ),
    Known(
        "users",
        "MISSING",
        "[].transitioningToStatus",
        "see the STAGED user being activated",
        "TestAccDataSourceOktaUsers_read/classic-00#12",
        CLASSIC,
    ),
    Known(
        "users",
        "NULL_VS_VALUE",
        "[].activated",
        "see the STAGED user being activated",
        "TestAccDataSourceOktaUsers_read/classic-00#12",
        CLASSIC,
    ),
    Known(
        "groups.members",
        "LIST_EXTRA",
        "[]",
        "a Classic Engine org lists a member it is still activating only later",
        "TestAccDataSourceOktaUsers_readWithGroupId/classic-00#13",
        CLASSIC,
    ),
    # ---- API tokens -------------------------------------------------------------------------
    Known(
        "api-tokens",
        "STATUS",
        "*",
        "the recorded token's network names a zone of the recorded org that the cassette never "
        "shows, so the replay cannot create it; the emulator refuses a token network naming an "
        "unknown zone (400), as it refuses unknown zones in rules",
        "TestAccResourceAPITokenResource_basic/oie-00#5",
    ),
    # ---- the org ----------------------------------------------------------------------------
    Known(
        "org.well-known",
        "VALUE",
        "pipeline",
        "a Classic Engine org answers `pipeline: v1`; the emulator is an Identity Engine org",
        "TestAccDataSourceOktaAuthenticator_read/classic-00#0",
        CLASSIC,
    ),
)


def explain(item: Interaction, difference: Difference) -> Known | None:
    return next((k for k in KNOWN if k.matches(item, difference)), None)


def markdown_table() -> str:
    """docs/sandbox.md's table of these differences."""
    lines = [
        "| area | difference | field | why | shown by |",
        "| --- | --- | --- | --- | --- |",
    ]
    for known in KNOWN:
        scope = {"classic": " (Classic Engine org only)", "all": ""}.get(known.scope, "")
        if known.scope == WINDOW:
            scope = f" (recordings from {known.since or 'the first'} to {known.until} only)"
        field = f"`{known.field}`" if known.field else "(body)"
        area = known.family.rstrip("*")
        lines.append(
            f"| {area} | {known.kind} | {field} | {known.reason}{scope} | `{known.evidence}` |"
        )
    return "\n".join(lines) + "\n"
