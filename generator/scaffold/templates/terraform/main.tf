# Everything egress-guard manages: trusted network zones, the admins' Global Session Policy and
# the rules on the Admin Console authentication policy. Regenerate with `egress-guard generate`.
module "egress_guard" {
  source = "./generated"
}
