"""Publishing: everything sdgtrack writes for people (templates, pages, charts, reports,
exports). Above the store and the methods; below the CLI and the web app."""
