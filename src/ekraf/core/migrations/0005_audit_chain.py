"""The audit trail becomes a hash chain; rows already written are chained oldest first."""

import django.utils.timezone
from django.db import migrations, models


def chain_existing(apps, schema_editor):
    from ekraf.core.auditchain import chain_existing

    chain_existing(apps.get_model("core", "AuditEvent"), apps.get_model("core", "AuditChainHead"))


def unchain(apps, schema_editor):
    """Reversing drops the chain columns; nothing to undo in the data."""


class Migration(migrations.Migration):
    dependencies = [("core", "0004_stored_sheet")]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(blank=True, max_length=64)),
            ],
            options={"verbose_name": "kepala rantai audit", "verbose_name_plural": "kepala rantai audit"},
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-at", "-id"],
                "verbose_name": "catatan audit",
                "verbose_name_plural": "catatan audit",
            },
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(db_index=True, max_length=60),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_ref",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(chain_existing, unchain),
    ]
