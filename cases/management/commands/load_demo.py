"""Demo data for `make run`: the three reference catalogues, four demo users and a few
adopted proposals with follow-up registrations.
Idempotent: a catalogue that already exists is left as it is (people may have edited it),
unless --reset is given; users are created once and their passwords never reset.
With DEBUG off (a server others can reach) it refuses, because the demo users include a
superuser whose password is "demo"; --demo-users says that is meant."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.interchange import decode
from cases.models import Catalog
from cases.services import import_json
from committees.models import Administration, Committee, Profile, Role

DEMO_PASSWORD = "demo"
DEMO_USERS = [
    # username, first name, role, administration, committee, superuser
    ("admin", "Administrator", Role.ADMIN, None, None, True),
    ("finans", "Finansmedarbejder (KFF)", Role.FINANCE_STAFF, "KFF", None, False),
    ("oekonomi", "Center for Økonomi", Role.CENTRAL_FINANCE, "ØKF", None, False),
    ("udvalg", "Udvalgsbehandler (KFU)", Role.COMMITTEE_REVIEWER, None, "KFU", False),
]


class Command(BaseCommand):
    help = "Indlæs demodata: referencekatalogerne i fixtures/catalogs og demobrugerne."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Indlæs referencekatalogerne igen, også hvis de findes (overskriver ændringer).",
        )
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Opret demobrugerne (adgangskode 'demo', også en superbruger) selv med DEBUG=0.",
        )

    def handle(self, *args, reset=False, demo_users=False, **options):
        if not settings.DEBUG and not demo_users:
            raise CommandError(
                "DEBUG er slået fra: demobrugerne (bl.a. superbrugeren 'admin' med "
                "adgangskoden 'demo') oprettes ikke på en server. Brug --demo-users, "
                "hvis det er meningen."
            )
        with transaction.atomic():
            for path in sorted(Path(settings.BASE_DIR, "fixtures", "catalogs").glob("*.json")):
                raw = path.read_bytes()
                key = decode(raw)["catalog"]["key"]
                if not reset and Catalog.objects.filter(key=key).exists():
                    self.stdout.write(f"{key}: findes allerede (brug --reset for at indlæse igen)")
                    continue
                # --reset puts back the demo's own figures, also of proposals that were
                # decided meanwhile: recorded as a change after the decision, with this reason
                result = import_json(raw, reason="Demodata indlæst igen (load_demo --reset)")
                self.stdout.write(result.summary())
            self._users()
            # A few adopted proposals with follow-up, so the follow-up pages show data.
            call_command("load_followup_demo", stdout=self.stdout)

    def _users(self):
        User = get_user_model()
        for username, name, role, admin_code, committee_code, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            user.first_name = name
            if not user.email:  # notification mails go to the console in development
                user.email = f"{username}@example.org"
            user.is_staff = superuser
            user.is_superuser = superuser
            if created or not user.has_usable_password():
                user.set_password(DEMO_PASSWORD)
            user.save()
            Profile.objects.update_or_create(
                user=user,
                defaults={
                    "role": role,
                    "administration": (
                        Administration.objects.get(code=admin_code) if admin_code else None
                    ),
                    "committee": Committee.objects.get(code=committee_code)
                    if committee_code
                    else None,
                },
            )
            self.stdout.write(f"bruger {username}: {'oprettet' if created else 'findes'}")
