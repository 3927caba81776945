terraform {
  required_version = ">= 1.5"
}

locals {
  namespace = "data-${var.environment}"
}

output "namespace" {
  value = local.namespace
}
