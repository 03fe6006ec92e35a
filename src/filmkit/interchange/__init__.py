"""Cuts to and from editing systems: EDL, FCP 7 XML, FCPXML, OTIO and ALE through OpenTimelineIO.

Above `project` (it writes and reads edit files) and below `cli`; nothing else imports it.
read (adapters) -> convert (OTIO -> `model.Cut`) -> link (files, probe) -> yaml_out, all
driven by `importer`; `export` builds the OTIO timeline (`otio_out`) and reduces it per format.
"""
