"""Personal data: what each capability keeps, the deletion job, export and withdrawal."""
