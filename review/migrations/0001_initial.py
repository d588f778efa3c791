# The review's models move from `committees` into the new app `review` (issue 9). Only
# Django's state changes; the tables keep their names `committees_*` (db_table), so no
# row moves. The content types of every model moved by issue 9 (also those `cases.0005`
# took over) are relabelled here, so that permissions and admin log entries stay attached.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

def relabel(old_app, new_app, models_):
    """Move the content types of `models_` from `old_app` to `new_app` (the same rows, so
    permissions and log entries keep pointing at them)."""

    def forward(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in models_:
            if not ContentType.objects.using(db).filter(app_label=new_app, model=model).exists():
                ContentType.objects.using(db).filter(app_label=old_app, model=model).update(
                    app_label=new_app
                )

    def backward(apps, schema_editor):
        forward_back = relabel(new_app, old_app, models_)[0]
        forward_back(apps, schema_editor)

    return forward, backward


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0005_distributions_and_success_criteria'),
        ('committees', '0004_review_and_distributions_moved_out'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ProposalSummary',
                    fields=[
                        ('proposal', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='figures', serialize=False, to='cases.proposal', verbose_name='proposal')),
                        ('proposal_version', models.PositiveIntegerField(verbose_name='computed from version')),
                        ('investment_service', models.DecimalField(decimal_places=1, max_digits=12)),
                        ('investment_capital', models.DecimalField(decimal_places=1, max_digits=12)),
                        ('full_effect_service', models.DecimalField(decimal_places=1, max_digits=12)),
                        ('full_effect_transfers', models.DecimalField(decimal_places=1, max_digits=12)),
                        ('innovation_pool', models.DecimalField(decimal_places=1, max_digits=12)),
                        ('payback_years', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('payback_years_total', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('investment_total', models.DecimalField(decimal_places=2, max_digits=16)),
                        ('full_effect_total', models.DecimalField(decimal_places=2, max_digits=16)),
                        ('check_count', models.PositiveIntegerField(default=0)),
                        ('refreshed_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'db_table': 'committees_proposalsummary',
                        'verbose_name': 'proposal summary',
                        'verbose_name_plural': 'proposal summaries',
                        'indexes': [models.Index(fields=['payback_years'], name='committees__payback_8d0869_idx'), models.Index(fields=['investment_capital'], name='committees__investm_333dac_idx'), models.Index(fields=['full_effect_service'], name='committees__full_ef_17994f_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='ProposalVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(verbose_name='version number')),
                        ('proposal_version', models.PositiveIntegerField(verbose_name="proposal's version counter")),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                        ('reason', models.CharField(blank=True, max_length=100, verbose_name='reason')),
                        ('data', models.JSONField(verbose_name='inputs')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='history', to='cases.proposal', verbose_name='proposal')),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'db_table': 'committees_proposalversion',
                        'verbose_name': 'proposal version',
                        'verbose_name_plural': 'proposal versions',
                        'ordering': ['proposal', 'number'],
                    },
                ),
                migrations.CreateModel(
                    name='LastSeen',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.proposal', verbose_name='proposal')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                        ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='review.proposalversion', verbose_name='version')),
                    ],
                    options={
                        'db_table': 'committees_lastseen',
                        'verbose_name': 'last seen version',
                        'verbose_name_plural': 'last seen versions',
                    },
                ),
                migrations.CreateModel(
                    name='ReviewComment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                        ('text', models.TextField(verbose_name='comment')),
                        ('recommendation', models.CharField(blank=True, choices=[('', 'No recommendation'), ('approve', 'Recommend approval'), ('return', 'Recommend returning it'), ('reject', 'Recommend rejection')], max_length=10, verbose_name='recommendation')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='review_comments', to='cases.proposal', verbose_name='proposal')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'db_table': 'committees_reviewcomment',
                        'verbose_name': 'review comment',
                        'verbose_name_plural': 'review comments',
                        'ordering': ['proposal', 'at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='WorkflowEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('submit', 'Submitted'), ('start_hearing', 'Sent to hearing'), ('answer_hearing', 'Hearing answered'), ('forward', 'Forwarded to committee'), ('approve', 'Approved by committee'), ('recommend', 'Recommended in the annex'), ('adopt', 'Adopted'), ('not_adopt', 'Not adopted'), ('return', 'Returned to the author'), ('reject', 'Rejected')], max_length=20, verbose_name='action')),
                        ('from_status', models.CharField(max_length=20, verbose_name='from status')),
                        ('to_status', models.CharField(max_length=20, verbose_name='to status')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('committee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='committees.committee', verbose_name='committee')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='workflow_events', to='cases.proposal', verbose_name='proposal')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                        ('version', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='review.proposalversion', verbose_name='version')),
                    ],
                    options={
                        'db_table': 'committees_workflowevent',
                        'verbose_name': 'workflow step',
                        'verbose_name_plural': 'workflow steps',
                        'ordering': ['proposal', 'at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='email')),
                        ('subject', models.CharField(max_length=300, verbose_name='subject')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bilag_notifications', to=settings.AUTH_USER_MODEL, verbose_name='recipient')),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='review.workflowevent', verbose_name='workflow step')),
                    ],
                    options={
                        'db_table': 'committees_notification',
                        'verbose_name': 'notification',
                        'verbose_name_plural': 'notifications',
                        'ordering': ['-at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CommitteeApproval',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('approved_on', models.DateField(verbose_name='approved on')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                        ('committee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='committees.committee', verbose_name='committee')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='committee_approvals', to='cases.proposal', verbose_name='proposal')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='approvals', to='review.workflowevent', verbose_name='submission')),
                    ],
                    options={
                        'db_table': 'committees_committeeapproval',
                        'verbose_name': 'committee approval',
                        'verbose_name_plural': 'committee approvals',
                        'ordering': ['proposal', 'committee__order'],
                    },
                ),
                migrations.CreateModel(
                    name='CommitteeShare',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('savings', models.DecimalField(decimal_places=2, default=0, max_digits=16)),
                        ('costs', models.DecimalField(decimal_places=2, default=0, max_digits=16)),
                        ('investments', models.DecimalField(decimal_places=2, default=0, max_digits=16)),
                        ('committee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='committees.committee', verbose_name='committee')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='committee_shares', to='cases.proposal', verbose_name='proposal')),
                    ],
                    options={
                        'db_table': 'committees_committeeshare',
                        'verbose_name': 'committee share',
                        'verbose_name_plural': 'committee shares',
                        'constraints': [models.UniqueConstraint(fields=('proposal', 'committee', 'year'), name='committee_share_unique')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='proposalversion',
                    constraint=models.UniqueConstraint(fields=('proposal', 'number'), name='proposal_version_number_unique'),
                ),
                migrations.AddConstraint(
                    model_name='lastseen',
                    constraint=models.UniqueConstraint(fields=('user', 'proposal'), name='last_seen_one_per_user'),
                ),
                migrations.AddConstraint(
                    model_name='reviewcomment',
                    constraint=models.CheckConstraint(condition=models.Q(('recommendation__in', ['', 'approve', 'return', 'reject'])), name='review_comment_recommendation_valid'),
                ),
                migrations.AddIndex(
                    model_name='workflowevent',
                    index=models.Index(fields=['proposal', 'action', 'at'], name='committees__proposa_698e6b_idx'),
                ),
                migrations.AddConstraint(
                    model_name='workflowevent',
                    constraint=models.CheckConstraint(condition=models.Q(('action__in', ['submit', 'start_hearing', 'answer_hearing', 'forward', 'approve', 'recommend', 'adopt', 'not_adopt', 'return', 'reject'])), name='workflow_event_action_valid'),
                ),
                migrations.AddConstraint(
                    model_name='committeeapproval',
                    constraint=models.UniqueConstraint(fields=('round', 'committee'), name='committee_approval_once_per_round'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(*relabel("committees", "review", ['proposalsummary', 'proposalversion', 'lastseen', 'reviewcomment', 'workflowevent', 'notification', 'committeeapproval', 'committeeshare'])),
        # the models `cases.0005` took over
        migrations.RunPython(*relabel("committees", "cases", ['distribution', 'distributionrow', 'distributionrowamount'])),
        migrations.RunPython(*relabel("followup", "cases", ['successcriterion'])),
    ]
