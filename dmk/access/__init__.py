"""The one permission module (ARCHITECTURE.md): roles from memberships × visibility."""
