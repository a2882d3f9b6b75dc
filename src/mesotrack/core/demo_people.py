"""Synthetic people for the demo clinic: names, phones and hair-loss stories. No real patients."""

import datetime as dt
import random

from mesotrack.core.demo import DemoPatientProfile

FEMALE_NAMES = [
    "Amira",
    "Sofia",
    "Chloe",
    "Priya",
    "Hannah",
    "Fatima",
    "Olivia",
    "Mei",
    "Grace",
    "Aisha",
    "Zara",
    "Emily",
    "Ngozi",
    "Ana",
    "Lucy",
    "Leila",
    "Sarah",
    "Yuki",
    "Isla",
    "Maryam",
    "Elena",
    "Charlotte",
    "Ruth",
    "Nadia",
    "Freya",
    "Kiran",
    "Joanna",
    "Ewa",
    "Bethany",
    "Rosa",
]
MALE_NAMES = [
    "James",
    "Mohammed",
    "Oliver",
    "Arjun",
    "Daniel",
    "Tomasz",
    "Kwame",
    "Liam",
    "Hassan",
    "Ethan",
    "Luca",
    "Ryan",
    "Samuel",
    "Omar",
    "Jack",
    "Wei",
    "Adam",
    "Connor",
    "Yusuf",
    "Marek",
    "George",
    "Ravi",
    "Harry",
    "Tariq",
    "Noah",
    "Mateo",
    "Callum",
    "Dimitri",
    "Ben",
    "Kofi",
]
FAMILY_NAMES = [
    "Smith",
    "Khan",
    "Jones",
    "Patel",
    "Williams",
    "Nowak",
    "Brown",
    "Haddad",
    "Taylor",
    "Okafor",
    "Davies",
    "Chen",
    "Evans",
    "Ahmed",
    "Wilson",
    "Rossi",
    "Thomas",
    "Kowalski",
    "Roberts",
    "Singh",
    "Johnson",
    "Ali",
    "Walker",
    "Mensah",
    "Wright",
    "Garcia",
    "Robinson",
    "Hussain",
    "Thompson",
    "Papadopoulos",
    "White",
    "Murphy",
    "Hughes",
    "Kaur",
    "Green",
    "Nguyen",
    "Hall",
    "Begum",
    "Wood",
    "Ibrahim",
    "Clarke",
    "Lewis",
    "Jackson",
    "Martin",
    "Cooper",
    "Silva",
    "Ward",
    "Yilmaz",
]
ALL_GIVEN_NAMES = FEMALE_NAMES + MALE_NAMES
STREETS = [
    "High Street",
    "Mill Lane",
    "Park Road",
    "Station Road",
    "Church Street",
    "Victoria Road",
]
LANGUAGES = ["English"] * 14 + ["Polish", "Urdu", "Arabic", "Punjabi", "Spanish", "Romanian"]
RELATIONSHIPS = ["Partner", "Spouse", "Mother", "Father", "Sister", "Brother", "Friend"]


def _weighted(rng: random.Random, options: dict[str, float]) -> str:
    return rng.choices(list(options), weights=list(options.values()))[0]


def demo_birth_date(rng: random.Random, today: dt.date) -> dt.date:
    age_days = int(rng.triangular(18.2, 70, 36) * 365.25)
    return today - dt.timedelta(days=age_days)


def demo_phone(rng: random.Random) -> str:
    return f"07700 9{rng.randint(0, 99999):05d}"


def demo_profile(rng: random.Random, sex: str, age: int) -> DemoPatientProfile:
    if sex == "male":
        hair_loss = _weighted(
            rng,
            {"male_pattern": 80, "telogen_effluvium": 8, "alopecia_areata": 8, "scarring": 4},
        )
    else:
        hair_loss = _weighted(
            rng,
            {"female_pattern": 58, "telogen_effluvium": 27, "alopecia_areata": 10, "scarring": 5},
        )
    profile = DemoPatientProfile(
        hair_loss=hair_loss, onset_years_ago=round(rng.uniform(0.3, min(15, age - 16)), 1)
    )
    _add_treatment_history(rng, profile, sex, age)
    _add_health(rng, profile, sex, age)
    return profile


def _add_treatment_history(
    rng: random.Random, profile: DemoPatientProfile, sex: str, age: int
) -> None:
    options = {"topical_minoxidil": 0.55, "supplements": 0.35, "oral_minoxidil": 0.12, "prp": 0.15}
    if sex == "male":
        options |= {"finasteride": 0.35, "dutasteride": 0.08, "mesotherapy": 0.1}
    else:
        options |= {"spironolactone": 0.08, "mesotherapy": 0.08}
    profile.prior_treatments = [name for name, p in options.items() if rng.random() < p]
    if sex == "male" and profile.hair_loss == "male_pattern" and age >= 25 and rng.random() < 0.14:
        profile.transplant_years_ago = round(rng.uniform(0.1, min(8, age - 24)), 1)
        profile.grafts = rng.randrange(1200, 3600, 50)
        profile.prior_treatments.append("hair_transplant")


def _add_health(rng: random.Random, profile: DemoPatientProfile, sex: str, age: int) -> None:
    if sex == "female" and age <= 50:
        profile.could_become_pregnant = rng.random() < 0.75
        profile.pregnant = profile.could_become_pregnant and rng.random() < 0.02
        profile.breastfeeding = not profile.pregnant and rng.random() < 0.04
    profile.trying_to_conceive = age <= 45 and rng.random() < 0.06
    profile.iron_deficient = rng.random() < (0.3 if sex == "female" else 0.05)
    profile.vitamin_d_low = rng.random() < 0.35
    profile.thyroid = _weighted(rng, {"normal": 90, "hypo": 7, "hyper": 3})
    conditions = {
        "hypertension": 0.08 + age / 500,
        "diabetes": 0.03 + age / 1000,
        "anticoagulant": 0.02 + age / 2000,
        "keloid": 0.02,
        "autoimmune": 0.03,
        "pcos": 0.08 if sex == "female" else 0.0,
        "herpes_labialis": 0.05,
    }
    profile.conditions = [name for name, p in conditions.items() if rng.random() < p]
    if profile.thyroid != "normal":
        profile.conditions.append("thyroid_disease")
    allergies = {"amide_local_anaesthetic": 0.01, "nickel": 0.04, "penicillin": 0.06, "latex": 0.01}
    profile.allergies = [name for name, p in allergies.items() if rng.random() < p]
