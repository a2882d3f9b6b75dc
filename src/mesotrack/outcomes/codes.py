"""The outcome app's vocabularies: scalp regions, landmarks, photo views, analysis states."""

from django.db import models


class ScalpRegion(models.TextChoices):
    FRONTAL = "frontal", "Frontal"
    MIDSCALP = "midscalp", "Mid-scalp"
    VERTEX = "vertex", "Vertex"
    LEFT_TEMPORAL = "left_temporal", "Left temporal"
    RIGHT_TEMPORAL = "right_temporal", "Right temporal"
    OCCIPITAL = "occipital", "Occipital (reference)"


# The occiput keeps its hair in androgenetic alopecia, so it serves as the untreated reference
# site and is left out of a patient's response (trichoscopy.md §1.4, clinical_rules.md §6).
REFERENCE_REGIONS = frozenset({ScalpRegion.OCCIPITAL})


class Landmark(models.TextChoices):
    GLABELLA = "glabella", "Glabella (between the eyebrows)"
    HAIRLINE_MIDLINE = "hairline_midline", "Frontal hairline, on the midline"
    VERTEX_WHORL = "vertex_whorl", "Vertex whorl"
    LEFT_TRAGUS = "left_tragus", "Left tragus"
    RIGHT_TRAGUS = "right_tragus", "Right tragus"
    OCCIPITAL_PROTUBERANCE = "occipital_protuberance", "External occipital protuberance"


class PhotoView(models.TextChoices):
    FRONTAL = "frontal", "Frontal"
    VERTEX = "vertex", "Vertex"
    LEFT = "left", "Left side"
    RIGHT = "right", "Right side"
    CLOSE_UP = "close_up", "Close-up"


GLOBAL_VIEWS = (PhotoView.FRONTAL, PhotoView.VERTEX, PhotoView.LEFT, PhotoView.RIGHT)


class MeasurementSource(models.TextChoices):
    MANUAL = "manual", "Entered by hand"
    TRICHOSCOPY = "trichoscopy", "Trichoscopy analysis"


class AnalysisStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Analysing"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


ACTIVE_STATUSES = frozenset({AnalysisStatus.QUEUED, AnalysisStatus.RUNNING})


class CorrectionKind(models.TextChoices):
    ADD = "add", "Hair added"
    REMOVE = "remove", "Hair removed"
    RESTORE = "restore", "Hair restored"
