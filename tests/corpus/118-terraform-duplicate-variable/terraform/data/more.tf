# declares environment again

variable "environment" {
  type = string
}
