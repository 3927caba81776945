# L2 Platform: shared, planned by Atlantis (project platform, workspace default).

variable "base_domain" {
  type        = string
  description = "Apex domain that business and platform host names are built on."
}

variable "internal_domain" {
  type        = string
  default     = null
  description = "Domain for platform services (Vault, Dashboard, Kubero, Casdoor); defaults to base_domain."
}

variable "casdoor_admin_password" {
  type        = string
  sensitive   = true
  description = "Initial Casdoor admin password; set by CI as TF_VAR_casdoor_admin_password, never in a file."
}
