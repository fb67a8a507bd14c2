"""`python -m okta_sandbox serve ...`"""

from okta_sandbox.cli import main

raise SystemExit(main())
