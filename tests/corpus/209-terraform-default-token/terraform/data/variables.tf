variable "environment" {
  type = string
}

variable "base_domain" {
  type    = string
  default = "ghp_@@TOKEN@@"
}

variable "internal_domain" {
  type    = string
  default = null
}

variable "env_prefix" {
  type = string
}
