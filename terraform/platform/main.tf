terraform {
  required_version = ">= 1.5"
}

locals {
  platform_domain = coalesce(var.internal_domain, var.base_domain)
  hosts = {
    vault     = "vault.${local.platform_domain}"
    dashboard = "dashboard.${local.platform_domain}"
    kubero    = "kubero.${local.platform_domain}"
    casdoor   = "auth.${local.platform_domain}"
  }
}

output "hosts" {
  value = local.hosts
}
