"""A course's packages: sell one, refund or adjust."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from mesotrack.accounts.access import staff_required
from mesotrack.accounts.models import User
from mesotrack.core.errors import DomainError
from mesotrack.courses import selectors
from mesotrack.courses.forms import PackageCorrectForm, PackageSellForm
from mesotrack.courses.roles import PACKAGE_CORRECTION_ROLES, PACKAGE_SALE_ROLES, may
from mesotrack.courses.services.courses import session_price
from mesotrack.courses.services.packages import package_balance, package_correct, package_sell
from mesotrack.courses.views.common import apply_error, course_for_request
from mesotrack.patients.views import patient_for_request


@staff_required(*PACKAGE_SALE_ROLES)
def course_packages(request: HttpRequest, patient_id: int, course_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    patient = patient_for_request(request, patient_id)
    course = course_for_request(patient, course_id)
    packages = selectors.packages_of_course(course=course)
    price = session_price(clinic_id=patient.clinic_id, modality=course.modality)
    sell = PackageSellForm(
        request.POST if request.POST.get("form") == "sell" else None,
        initial={
            "price_per_session": price.amount if price else None,
            "currency": price.currency if price else "GBP",
        },
    )
    correct = PackageCorrectForm(
        request.POST if request.POST.get("form") == "correct" else None, packages=packages
    )
    if request.method == "POST":
        form = sell if request.POST.get("form") == "sell" else correct
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is sell:
                    package_sell(
                        actor=user,
                        course=course,
                        sessions=data["sessions"],
                        price_per_session=data["price_per_session"],
                        currency=data["currency"],
                    )
                    messages.success(request, f"Package of {data['sessions']} sessions recorded.")
                else:
                    package = next(p for p in packages if p.pk == data["package"])
                    package.course = course
                    package_correct(
                        actor=user,
                        package=package,
                        kind=data["kind"],
                        sessions=data["sessions"],
                        amount=data["amount"],
                        reason=data["reason"],
                    )
                    messages.success(request, "Recorded.")
            except DomainError as error:
                apply_error(form, error)
            else:
                return redirect("courses:packages", patient_id=patient.pk, course_id=course.pk)
    return render(
        request,
        "courses/packages.html",
        {
            "patient": patient,
            "course": course,
            "packages": [(p, package_balance(list(p.entries.all()))) for p in packages],
            "price": price,
            "sell": sell,
            "correct": correct,
            "can_correct": may(request.user, patient.clinic_id, PACKAGE_CORRECTION_ROLES),
        },
    )
