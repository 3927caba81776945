terraform {
  required_version = ">= 1.5"
}

locals {
  namespace       = "apps-${var.environment}"
  business_domain = var.env_prefix == "" ? var.base_domain : "${var.env_prefix}.${var.base_domain}"
}

output "business_domain" {
  value = local.business_domain
}
