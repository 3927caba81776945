# L1 Bootstrap: shared, applied by GitHub Actions. No envs/<env>.tfvars reaches it; the contract's
# variables it declares must still agree with ssot/env.yaml on type and sensitive.

variable "base_domain" {
  type        = string
  description = "Apex domain that business and platform host names are built on."
}

variable "internal_domain" {
  type        = string
  default     = null
  description = "Domain for platform services (Vault, Dashboard, Kubero, Casdoor); defaults to base_domain."
}
