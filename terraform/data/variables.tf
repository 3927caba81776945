# L3 Data: one instance per environment (Atlantis project data-<env>, workspace <env>), fed by
# envs/<env>.tfvars.

variable "environment" {
  type        = string
  description = "Name of the environment; selects the Terraform workspace and the namespace suffix."
}
