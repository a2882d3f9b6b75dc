"""What the demo formulary stocks and mixes. Compositions are illustrative of products a clinic
holds (dutasteride 0.01% and minoxidil 0.5% as in clinical_rules.md §1.1, lidocaine 1%, EMLA
2.5%/2.5%); the multivitamin vial stands for the marketed "mesh solutions" (§1.5), whose real
concentrations no source standardises."""

# name: kind, unit, presentation, storage, composition [(ingredient, amount, unit) per mL or g]
PRODUCTS: dict[str, tuple[str, str, str, str, list[tuple[str, str, str]]]] = {
    "Dutasteride 0.01% solution": (
        "compounded",
        "mL",
        "5 mL vial",
        "Below 25 °C, away from light",
        [("dutasteride", "0.1", "mg")],
    ),
    "Minoxidil 0.5% solution": (
        "compounded",
        "mL",
        "10 mL vial",
        "Below 25 °C",
        [("minoxidil", "5", "mg")],
    ),
    "Multivitamin and amino-acid complex": (
        "ready_made",
        "mL",
        "5 mL vial",
        "2–8 °C",
        [
            ("biotin", "0.2", "mg"),
            ("dexpanthenol", "10", "mg"),
            ("niacinamide", "5", "mg"),
            ("pyridoxine", "2", "mg"),
            ("cysteine", "3", "mg"),
            ("methionine", "3", "mg"),
            ("arginine", "5", "mg"),
            ("zinc", "100", "µg"),
        ],
    ),
    "Biotin 5 mg/mL": ("ready_made", "mL", "1 mL ampoule", "Below 25 °C", [("biotin", "5", "mg")]),
    "Dexpanthenol 250 mg/mL": (
        "ready_made",
        "mL",
        "2 mL ampoule",
        "Below 25 °C",
        [("dexpanthenol", "250", "mg")],
    ),
    "Hyaluronic acid 1%": (
        "ready_made",
        "mL",
        "3 mL syringe",
        "2–25 °C",
        [("hyaluronic_acid", "10", "mg")],
    ),
    "Lidocaine 1%": (
        "anaesthetic",
        "mL",
        "5 mL ampoule",
        "Below 25 °C",
        [("lidocaine", "10", "mg")],
    ),
    "EMLA 5% cream": (
        "anaesthetic",
        "g",
        "30 g tube",
        "Below 30 °C",
        [("lidocaine", "25", "mg"), ("prilocaine", "25", "mg")],
    ),
    "Sodium chloride 0.9%": ("diluent", "mL", "10 mL ampoule", "Below 25 °C", []),
    "Autologous PRP": ("autologous", "mL", "", "", []),
}
SUPPLIERS = {
    "compounded": "Northern Compounding Pharmacy",
    "ready_made": "Meso Supplies UK",
    "anaesthetic": "Clinical Wholesale Ltd",
    "diluent": "Clinical Wholesale Ltd",
}
# Recipe: modality, versions [(notes, [(product, mL a session)])]
RECIPES: dict[str, tuple[str, list[tuple[str, list[tuple[str, str]]]]]] = {
    "Dutasteride 0.01% + saline": (
        "mesotherapy",
        [
            ("Dutasteride alone, 1 mL (JDD 2022).", [("Dutasteride 0.01% solution", "1")]),
            (
                "Diluted with 1 mL saline to cover the vertex (Villarreal-Villarreal 2022).",
                [("Dutasteride 0.01% solution", "1"), ("Sodium chloride 0.9%", "1")],
            ),
        ],
    ),
    "Minoxidil 0.5% intradermal": (
        "mesotherapy",
        [("Weekly course (Uzel).", [("Minoxidil 0.5% solution", "2")])],
    ),
    "Revitalising cocktail": (
        "mesotherapy",
        [
            (
                "Vitamin and amino-acid complex with hyaluronic acid.",
                [("Multivitamin and amino-acid complex", "2"), ("Hyaluronic acid 1%", "1")],
            ),
            (
                "Biotin and dexpanthenol added.",
                [
                    ("Multivitamin and amino-acid complex", "2"),
                    ("Hyaluronic acid 1%", "1"),
                    ("Biotin 5 mg/mL", "0.2"),
                    ("Dexpanthenol 250 mg/mL", "0.2"),
                ],
            ),
        ],
    ),
    "Dutasteride + minoxidil with lidocaine": (
        "mesotherapy",
        [
            (
                "For patients who found the injections painful.",
                [
                    ("Dutasteride 0.01% solution", "1"),
                    ("Minoxidil 0.5% solution", "1"),
                    ("Lidocaine 1%", "0.2"),
                ],
            )
        ],
    ),
    "PRP 6 mL": ("prp", [("IADVL: 5–7 mL a session.", [("Autologous PRP", "6")])]),
}
RECALL_REASON = (
    "Supplier recall notice NCP-2026-14: particles seen in vials of this lot. Return unused stock "
    "and contact the patients who received it. (Demo data.)"
)
