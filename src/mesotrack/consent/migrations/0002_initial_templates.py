"""Version 1 of the four consent forms.

Written for this project in plain language; the clinical statements follow
shared/clinical/clinical_rules.md (§2 contraindications, §3 adverse events, §7 evidence). A clinic
changes them by publishing a new version, never by editing this migration.
"""

import datetime as dt

from django.db import migrations

EFFECTIVE_FROM = dt.date(2020, 1, 1)

MESOTHERAPY = """\
## What this treatment is
Hair mesotherapy means many very small injections into the skin of the scalp. The liquid injected is a mixture chosen by your practitioner for your type of hair loss. It may contain medicines, vitamins or other substances. Your practitioner will tell you what is in your mixture and write it in your record.

Mesotherapy for hair loss is not a standard treatment. There is no agreed mixture, dose or timetable, and the studies of it are small. Some medicines used in it are licensed only for other uses or as tablets, so injecting them into the scalp is "off-label". Results vary from person to person. Some people see thicker or less hair fall, some see no change. We cannot promise any result.

## What happens
- Before each session we ask about your health, medicines and allergies, and whether anything has changed.
- We clean your scalp. We may use a numbing cream first.
- We inject small amounts of the mixture just under the skin, a short distance apart, across the thinning areas, by hand or with an injection device.
- A course is several sessions, often weekly or every few weeks at first and less often later. We agree the plan with you.
- We take measurements and, if you agree on a separate form, photographs, to see whether the treatment is helping.

## Side effects
Common and usually mild, lasting hours to a few days:
- pain or stinging during the injections (nearly half of people in one large study)
- redness, itching or tenderness of the scalp
- small bumps or tiny spots of bleeding where the needle went in
- bruising or swelling
- headache

Less common: swelling of the forehead, most often after the first one or two sessions. It usually goes within 1 to 4 days; a cold compress helps.

Rare but more serious:
- infection of the skin, sometimes an abscess that needs treatment
- an allergic reaction to something in the mixture or the numbing cream
- patches of hair loss or scarring where injections were given, which may appear weeks or months later and can be permanent

Contact us straight away if you have spreading redness, heat, pus, fever, a new bald patch, swelling of the face or lips, or difficulty breathing (for breathing problems, call emergency services).

## Tell us before each session
Tell us if you are pregnant, might be pregnant, are trying for a baby or are breastfeeding; if you have any allergies; if you take medicines that thin the blood or affect bleeding; if you have an infection, cold sore or wound on the scalp, or a fever; or if your health has changed in any other way. Some treatments are not safe in these situations and we may need to delay or change your plan.

## Other options
Other ways to treat hair loss include minoxidil applied to the scalp (for men and women), finasteride tablets (for men), PRP injections, a hair transplant, or no treatment. Minoxidil and finasteride have the strongest evidence. Mesotherapy is often used alongside them rather than instead of them. Your practitioner can talk you through these options.

## Your choice
You can ask questions at any time. You can stop the treatment or withdraw this consent at any time, before or during a course, without giving a reason; it will not affect the rest of your care. Withdrawing does not undo treatment already given.

This consent lasts for 12 months from the day you sign, unless you withdraw it sooner.

## By signing I confirm that
- I have read this form, or had it read to me, and I understand it.
- I have had the chance to ask questions, and I am happy with the answers.
- I understand that results are not guaranteed and that side effects can happen.
- I agree to have hair mesotherapy at this clinic.
"""

PRP = """\
## What this treatment is
PRP stands for platelet-rich plasma. Platelets are tiny cells in your blood that help healing. In PRP treatment we take a small amount of your own blood, spin it in a machine to separate the part rich in platelets, and inject that part into the skin of your scalp. Nothing from another person is used.

Studies of PRP for hair loss show mixed results: many find some improvement in hair thickness, others find none. There is no single agreed method. Results vary, and we cannot promise any result.

## What happens
- Before each session we ask about your health, medicines and allergies.
- We take blood from a vein in your arm, much like a blood test.
- The blood is spun in a sealed tube for a few minutes.
- We clean your scalp and may use a numbing cream, then inject the plasma in small amounts across the thinning areas.
- A course is usually 3 to 5 sessions about a month apart, sometimes followed by top-up sessions. We agree the plan with you.

## Side effects
Common and usually mild, lasting hours to a few days:
- pain or discomfort during the injections
- a bruise where the blood was taken
- redness, swelling or tenderness of the scalp
- small bumps or tiny spots of bleeding where the needle went in
- headache

Rare:
- infection of the skin
- an allergic reaction to the numbing cream or other products used
- patches of hair loss or scarring at injection sites

Contact us straight away if you have spreading redness, heat, pus, fever or a new bald patch.

## Tell us before each session
Tell us if you have a bleeding or blood-clotting problem or a low platelet count; if you take medicines that thin the blood, or have taken anti-inflammatory painkillers such as ibuprofen in the last two days, or steroid medicines recently; if you have cancer or an infection; if you are pregnant or breastfeeding; or if your health has changed. PRP may not be safe in some of these situations.

## Other options
Other ways to treat hair loss include minoxidil applied to the scalp (for men and women), finasteride tablets (for men), mesotherapy, a hair transplant, or no treatment. Minoxidil and finasteride have the strongest evidence. PRP is often used alongside minoxidil. Your practitioner can talk you through these options.

## Your choice
You can ask questions at any time. You can stop the treatment or withdraw this consent at any time without giving a reason; it will not affect the rest of your care. Withdrawing does not undo treatment already given.

This consent lasts for 12 months from the day you sign, unless you withdraw it sooner.

## By signing I confirm that
- I have read this form, or had it read to me, and I understand it.
- I have had the chance to ask questions, and I am happy with the answers.
- I understand that results are not guaranteed and that side effects can happen.
- I agree to have PRP treatment to my scalp at this clinic.
"""

PHOTOGRAPHY = """\
## Why we take photographs
Hair changes slowly, and it is hard to remember how it looked months ago. Photographs taken the same way each time let you and your practitioner see whether treatment is working, and help us make decisions about your care.

## Which photographs
- Your scalp and hairline from set angles: front, top, sides and back.
- Close-up, magnified pictures of small areas of your scalp.
- Pictures of any reaction or problem after a treatment, if one happens.

We keep your face out of the picture where we can. We will always tell you before we take a photograph, and you can say no to any photograph.

## How we keep them
Photographs are taken with clinic equipment, never on staff members' personal phones. They are stored in your record in our secure system, which only staff caring for you can open. Every time someone opens a photograph, the system records who and when.

## What we use them for
This consent covers using your photographs for your own care only. We will not use them for teaching, training, research, publications, advertising or social media. If we ever wanted to, we would ask you first on a separate form, and you could say no without it affecting your care.

## Your choice
You do not have to agree to photographs to have treatment. You can withdraw this consent at any time. We will then stop taking new photographs. Photographs already taken stay in your medical record, which we must keep, but they will not be used for anything new.

This consent lasts until you withdraw it.

## By signing I confirm that
- I have read this form, or had it read to me, and I understand it.
- I agree that the clinic may take and keep photographs of my scalp for my care.
"""

DATA_PROCESSING = """\
## What we keep about you
To look after you, we keep a record that includes:
- your name, date of birth, contact details and an emergency contact
- your medical history, medicines, allergies and test results
- details of your hair loss, your treatments and any side effects
- photographs of your scalp, if you agree to them on a separate form
- notes of our conversations and messages with you

## Why we keep it
- To give you safe treatment that suits you.
- To contact you about appointments and results.
- Because the law requires health professionals to keep accurate records of the care they give.

## Who can see it
Only staff at this clinic who are involved in your care, and only what they need for their job. Every time someone looks at or changes your record, our system records who did it and when. We do not sell your information, and we do not use it for advertising.

We share information outside the clinic only when it is needed for your care and you agree (for example, a letter to your GP), or when the law requires it.

## How we protect it
Your record is kept in a secure system. Staff sign in with their own account, and those who can change clinical decisions use a second check, such as a code from a phone app, when they sign in.

## How long we keep it
We keep your record for as long as the law requires for medical records, and then delete it securely. You can ask us how long that is.

## Your rights
You can ask for a copy of the information we hold about you, and ask us to correct anything that is wrong or incomplete. You can also ask us to limit how we use your information, or object to a particular use. If you are unhappy with how we handle your information, please tell us; you can also complain to the data protection authority.

## Your choice
You can withdraw this agreement at any time. We will then stop using your information for anything except what the law requires us to keep. Without a record we cannot safely treat you, so withdrawing means we cannot continue your treatment.

This agreement lasts until you withdraw it.

## By signing I confirm that
- I have read this form, or had it read to me, and I understand it.
- I agree that the clinic may keep and use my personal and health information as described above.
"""

TEMPLATES = [
    ("mesotherapy", "Consent to hair mesotherapy", MESOTHERAPY, 12),
    ("prp", "Consent to PRP (platelet-rich plasma) treatment of the scalp", PRP, 12),
    ("clinical_photography", "Consent to clinical photographs", PHOTOGRAPHY, None),
    (
        "data_processing",
        "Agreement to how we keep and use your information",
        DATA_PROCESSING,
        None,
    ),
]


def create_templates(apps, schema_editor):
    ConsentTemplate = apps.get_model("consent", "ConsentTemplate")
    for kind, title, body, months in TEMPLATES:
        ConsentTemplate.objects.get_or_create(
            kind=kind,
            version=1,
            defaults={
                "title": title,
                "body": body,
                "valid_for_months": months,
                "effective_from": EFFECTIVE_FROM,
            },
        )


def remove_templates(apps, schema_editor):
    ConsentTemplate = apps.get_model("consent", "ConsentTemplate")
    ConsentTemplate.objects.filter(version=1, kind__in=[t[0] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]
    operations = [migrations.RunPython(create_templates, remove_templates)]
