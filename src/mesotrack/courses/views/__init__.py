"""Pages of the courses app: thin views over the services and selectors."""
