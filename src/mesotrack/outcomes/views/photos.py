"""Clinical photographs: the list by view, upload, comparison across visits, and the image
itself, served only through here (audited, never cached)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mesotrack.accounts.access import forbidden, staff_required
from mesotrack.core.errors import DomainError
from mesotrack.outcomes import selectors, services
from mesotrack.outcomes.codes import GLOBAL_VIEWS, PhotoView
from mesotrack.outcomes.forms import PhotoForm, add_service_error
from mesotrack.outcomes.models import ClinicalPhoto
from mesotrack.outcomes.uploads import PHOTO_LIMITS, read_upload, thumbnail
from mesotrack.outcomes.views.common import (
    CLINICAL,
    RECORDERS,
    actor,
    audit_view,
    can_record,
    clinical_patient,
    private_image,
)
from mesotrack.patients.models import Patient


def patient_photo(patient: Patient, photo_id: int) -> ClinicalPhoto:
    try:
        return selectors.photo_get_for_patient(patient=patient, photo_id=photo_id)
    except ClinicalPhoto.DoesNotExist:
        raise Http404("No such photograph for this patient.") from None


@staff_required(*CLINICAL)
def photo_list(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    photos = selectors.photos_for_patient(patient=patient)
    by_view = [(view, [p for p in photos if p.view == view.value]) for view in PhotoView]
    audit_view(request, patient, None, "photographs", photos=[p.pk for p in photos])
    context = {
        "patient": patient,
        "by_view": by_view,
        "global_views": GLOBAL_VIEWS,
        "can_record": can_record(request, patient),
    }
    return render(request, "outcomes/photos.html", context)


@staff_required(*RECORDERS)
def photo_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    if not can_record(request, patient):
        return forbidden(request, "role in this clinic")
    sites = selectors.sites_for_patient(patient=patient)
    posted = request.method == "POST"
    form = PhotoForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        sites=sites,
        initial={"view": request.GET.get("view", "")},
    )
    if posted and form.is_valid():
        try:
            photo = services.clinical_photo_upload(
                actor=actor(request),
                patient=patient,
                data=read_upload(form.upload(), PHOTO_LIMITS),
                view=form.cleaned_data["view"],
                taken_on=form.cleaned_data["taken_on"],
                site=form.cleaned_data["site"],
                notes=form.cleaned_data["notes"],
            )
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{photo.get_view_display()} photograph saved.")
            return redirect("outcomes:photos", patient_id=patient.pk)
    if not posted:
        audit_view(request, patient, None, "upload photograph")
    return render(request, "outcomes/photo_form.html", {"patient": patient, "form": form})


def _chosen(photos: list[ClinicalPhoto], raw: str | None, fallback: int) -> ClinicalPhoto | None:
    if raw and raw.isdigit():
        match = next((p for p in photos if p.pk == int(raw)), None)
        if match is not None:
            return match
    return photos[fallback] if photos else None


@staff_required(*CLINICAL)
def photo_compare(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    view = request.GET.get("view") or PhotoView.VERTEX
    if view not in PhotoView.values:
        view = PhotoView.VERTEX
    # Oldest first, so the default compares the first photograph with the latest.
    photos = list(reversed(selectors.photos_for_patient(patient=patient, view=view)))
    before = _chosen(photos, request.GET.get("a"), 0)
    after = _chosen(photos, request.GET.get("b"), -1)
    shown = [p.pk for p in (before, after) if p is not None]
    audit_view(request, patient, None, "compare photographs", view=view, photos=shown)
    context = {
        "patient": patient,
        "view": PhotoView(view),
        "views": PhotoView.choices,
        "photos": photos,
        "before": before,
        "after": after,
    }
    return render(request, "outcomes/photo_compare.html", context)


@staff_required(*CLINICAL)
def photo_image(request: HttpRequest, patient_id: int, photo_id: int) -> HttpResponse:
    patient = clinical_patient(request, patient_id)
    photo = patient_photo(patient, photo_id)
    small = request.GET.get("size") == "thumb"
    with photo.image.open("rb") as stored:
        data = stored.read()
    if small:
        data = thumbnail(data)
    audit_view(request, patient, photo, "photograph image", size="thumb" if small else "full")
    content_type = "image/jpeg" if small else photo.content_type
    return private_image(data, content_type, f"photo-{photo.pk}.{photo.image.name[-3:]}")
