"""`/api/v1/patients/{id}/outcomes|photos|analyses`: outcome measures, clinical photographs and
trichoscopy analyses, with the same roles, clinic scoping, checks and audit trail as the pages.

Clinical staff read; practitioners and nurses write. Uploads are multipart (`file` plus form
fields) and pass the same checks as on the pages: photography consent, then type, size and
pixel count before decoding. A photograph's image comes back as base64 in JSON, so every answer
of the API stays JSON.
"""

from ninja import Router

from mesotrack.api.outcomes import analyses, measures

router = Router()
router.add_router("", measures.router)
router.add_router("", analyses.router)
