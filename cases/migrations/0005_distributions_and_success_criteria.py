# Moves the distributions (and their rows and amounts) from `committees` and the success
# criteria from `followup` into `cases`: they are proposal inputs (issue 9). Only Django's
# state changes; the tables keep their names (db_table), so no row moves. The content
# types are relabelled by `review.0001` (with the review's own).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_text_length_limits'),
        ('committees', '0004_review_and_distributions_moved_out'),
        ('followup', '0003_success_criterion_moved_to_cases'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Distribution',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject', models.CharField(choices=[('permanent_saving', 'Permanent savings'), ('permanent_cost', 'Permanent costs'), ('permanent', 'Permanent changes'), ('implementation_capital', 'Capital investment'), ('implementation_service', 'Service investment'), ('implementation_operating', 'Operating implementation costs'), ('implementation', 'Implementation costs')], max_length=40, verbose_name='subject')),
                        ('basis', models.CharField(choices=[('weights', 'Keys (weights)'), ('amounts', 'Explicit amounts')], max_length=10, verbose_name='basis')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='distributions', to='cases.proposal', verbose_name='proposal')),
                    ],
                    options={
                        'db_table': 'committees_distribution',
                        'verbose_name': 'distribution',
                        'verbose_name_plural': 'distributions',
                        'ordering': ['proposal', 'order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='DistributionRow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('unit', models.CharField(blank=True, max_length=200, verbose_name='unit')),
                        ('account', models.CharField(blank=True, max_length=200, verbose_name='account')),
                        ('weight', models.DecimalField(blank=True, decimal_places=6, max_digits=20, null=True, verbose_name='weight')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('committee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='committees.committee', verbose_name='committee')),
                        ('distribution', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rows', to='cases.distribution', verbose_name='distribution')),
                    ],
                    options={
                        'db_table': 'committees_distributionrow',
                        'verbose_name': 'distribution row',
                        'verbose_name_plural': 'distribution rows',
                        'ordering': ['distribution', 'order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='DistributionRowAmount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='amount (1,000 kr.)')),
                        ('row', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='amounts', to='cases.distributionrow', verbose_name='row')),
                    ],
                    options={
                        'db_table': 'committees_distributionrowamount',
                        'verbose_name': 'distributed amount',
                        'verbose_name_plural': 'distributed amounts',
                        'ordering': ['row', 'year'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='distribution',
                    constraint=models.CheckConstraint(condition=models.Q(('subject__in', ['permanent_saving', 'permanent_cost', 'permanent', 'implementation_capital', 'implementation_service', 'implementation_operating', 'implementation'])), name='distribution_subject_valid'),
                ),
                migrations.AddConstraint(
                    model_name='distribution',
                    constraint=models.CheckConstraint(condition=models.Q(('basis__in', ['weights', 'amounts'])), name='distribution_basis_valid'),
                ),
                migrations.AddConstraint(
                    model_name='distribution',
                    constraint=models.UniqueConstraint(fields=('proposal', 'subject'), name='distribution_one_per_subject'),
                ),
                migrations.AddConstraint(
                    model_name='distributionrow',
                    constraint=models.CheckConstraint(condition=models.Q(('weight__isnull', True), ('weight__gte', 0), _connector='OR'), name='distribution_row_weight_non_negative'),
                ),
                migrations.AddConstraint(
                    model_name='distributionrowamount',
                    constraint=models.UniqueConstraint(fields=('row', 'year'), name='distribution_amount_one_per_year'),
                ),
                migrations.CreateModel(
                    name='SuccessCriterion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('criterion', models.TextField(blank=True, verbose_name='success criterion')),
                        ('how_measured', models.TextField(blank=True, verbose_name='how is it measured?')),
                        ('how_achieved', models.TextField(blank=True, verbose_name='how is it achieved?')),
                        ('responsible', models.TextField(blank=True, verbose_name='who is responsible?')),
                        ('when', models.TextField(blank=True, verbose_name='when?')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='success_criteria', to='cases.proposal', verbose_name='proposal')),
                    ],
                    options={
                        'db_table': 'followup_successcriterion',
                        'verbose_name': 'success criterion',
                        'verbose_name_plural': 'success criteria',
                        'ordering': ['proposal', 'order', 'pk'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
