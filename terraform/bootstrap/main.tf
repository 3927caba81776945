terraform {
  required_version = ">= 1.5"
}

locals {
  platform_domain = coalesce(var.internal_domain, var.base_domain)
}

output "platform_domain" {
  value = local.platform_domain
}
