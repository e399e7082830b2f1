"""Qt item models over the app/ services' DTOs."""
