"""Local fakes of outside services, each built from the service's published API documentation."""
