# L4 Apps: one instance per environment (Atlantis project apps-<env>, workspace <env>), fed by
# envs/<env>.tfvars.

variable "environment" {
  type        = string
  description = "Name of the environment; selects the Terraform workspace and the namespace suffix."
}

variable "base_domain" {
  type        = string
  description = "Apex domain that business and platform host names are built on."
}

variable "internal_domain" {
  type        = string
  default     = null
  description = "Domain for platform services (Vault, Dashboard, Kubero, Casdoor); defaults to base_domain."
}

variable "env_prefix" {
  type        = string
  description = "Prefix of business domains (<env_prefix>.<base_domain>); empty in prod."

  validation {
    condition     = can(regex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$", var.env_prefix))
    error_message = "env_prefix is empty or a DNS label."
  }
}
