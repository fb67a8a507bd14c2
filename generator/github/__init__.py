"""GitHub REST integration for the GitOps workflows: sticky PR comments, tracked issues
(drift episodes, refused IP refreshes), the IP-refresh pull request and reviewed-plan lookup."""
