"""One text layout engine for every word filmkit puts on screen (subtitles, the card, overlays).

The modules, each using only those above it:
    fonts    a face per script, chosen explicitly; coverage and libass metrics
    faces    FaceSet: the faces chosen for one language, with per-character fallback
    breaks   where a line may break (ICU UAX #14 with dictionaries, BudouX, kinsoku, Korean
             at spaces) and how good each break is
    runs     a line cut into runs of one script, face and direction; run-level bidi order
    measure  widths with Pillow/raqm at one em for every face; libass's font size for an em
    layout   Paragraph (breaks + measurements), lay_out -> Block of Lines of Runs

What the engine returns is what is drawn: the card draws its runs with Pillow, and
`filmkit.subtitles.ass` writes the same lines, runs and positions for libass.
"""
