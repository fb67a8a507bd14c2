# No input variables: the policy is rendered into ./generated from egress-policy.yaml, and the
# provider takes its org and credentials from environment variables (see providers.tf).
