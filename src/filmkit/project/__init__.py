"""The edit-decision file: schema, loading with positions, and the exact timeline."""

from filmkit.project.load import LoadedProject, Locations, load_project
from filmkit.project.schema import Project
from filmkit.project.timeline import CardTiming, Clip, Join, MusicBed, Timeline, build_timeline

__all__ = [
    "CardTiming", "Clip", "Join", "LoadedProject", "Locations", "MusicBed", "Project", "Timeline",
    "build_timeline", "load_project",
]
