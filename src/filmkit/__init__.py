"""filmkit: campaign films from an edit-decision YAML file, rendered by ffmpeg."""

__version__ = "0.1.0"
