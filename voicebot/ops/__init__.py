"""Running the line in production: start-up checks, logging, backup and restore."""
