variable "environment" {
  type = string
}

variable "base_domain" {
  type    = string
}

variable "internal_domain" {
  type    = string
  default = null
}

variable "env_prefix" {
  type = string
}

variable "admin_password" {
  type      = string
  sensitive = true
  default   = "Tr0ub4dor-and-3-tf"
}
