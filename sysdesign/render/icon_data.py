"""Icon data, the one place it lives: vendor logos and the neutral badge of each kind.

A component gets a vendor's logo only when its `technology` names that vendor (the pattern below
matches a whole word, case-insensitive); every other component gets its kind's neutral badge, a
short tag on its family's colour. Two kinds whose pictures are neutral (people) keep an image.
Images are named relative to the folder that holds the `diagrams` package's `resources/`.
"""

from __future__ import annotations

VENDORS: tuple[tuple[str, str, str], ...] = (
    # (vendor, regular expression naming it, icon image)
    ("Redis", r"redis", "resources/onprem/inmemory/redis.png"),
    ("Memcached", r"memcached", "resources/onprem/inmemory/memcached.png"),
    ("PostgreSQL", r"postgres(?:ql)?|pgvector", "resources/onprem/database/postgresql.png"),
    ("Aurora", r"aurora", "resources/aws/database/aurora.png"),
    ("MySQL", r"mysql", "resources/onprem/database/mysql.png"),
    ("MongoDB", r"mongo(?:db)?", "resources/onprem/database/mongodb.png"),
    ("CockroachDB", r"cockroach(?:db)?", "resources/onprem/database/cockroachdb.png"),
    ("Cassandra", r"cassandra", "resources/onprem/database/cassandra.png"),
    ("ScyllaDB", r"scylla(?:db)?", "resources/onprem/database/scylla.png"),
    ("ClickHouse", r"clickhouse", "resources/onprem/database/clickhouse.png"),
    ("Neo4j", r"neo4j", "resources/onprem/database/neo4j.png"),
    ("Qdrant", r"qdrant", "resources/onprem/database/qdrant.png"),
    ("DynamoDB", r"dynamodb", "resources/aws/database/dynamodb.png"),
    ("Bigtable", r"bigtable", "resources/gcp/database/bigtable.png"),
    ("BigQuery", r"bigquery", "resources/gcp/analytics/bigquery.png"),
    ("Snowflake", r"snowflake", "resources/saas/analytics/snowflake.png"),
    ("Elasticsearch", r"elasticsearch", "resources/elastic/elasticsearch/elasticsearch.png"),
    ("Kafka", r"kafka|msk", "resources/onprem/queue/kafka.png"),
    ("RabbitMQ", r"rabbitmq", "resources/onprem/queue/rabbitmq.png"),
    ("NATS", r"nats", "resources/onprem/queue/nats.png"),
    ("Celery", r"celery", "resources/onprem/queue/celery.png"),
    ("SQS", r"sqs", "resources/aws/integration/simple-queue-service-sqs.png"),
    ("Kinesis", r"kinesis", "resources/aws/analytics/kinesis-data-streams.png"),
    ("Flink", r"flink", "resources/onprem/analytics/flink.png"),
    ("Spark", r"spark", "resources/onprem/analytics/spark.png"),
    ("Airflow", r"airflow", "resources/onprem/workflow/airflow.png"),
    ("MLflow", r"mlflow", "resources/onprem/mlops/mlflow.png"),
    ("S3", r"s3", "resources/aws/storage/simple-storage-service-s3.png"),
    ("CloudFront", r"cloudfront", "resources/aws/network/cloudfront.png"),
    ("Route 53", r"route ?53", "resources/aws/network/route-53.png"),
    ("AWS KMS", r"kms", "resources/aws/security/key-management-service.png"),
    ("Cognito", r"cognito", "resources/aws/security/cognito.png"),
    ("CloudTrail", r"cloudtrail", "resources/aws/management/cloudtrail.png"),
    ("Bedrock", r"bedrock", "resources/aws/ml/bedrock.png"),
    ("SageMaker", r"sagemaker", "resources/aws/ml/sagemaker.png"),
    ("AWS Lambda", r"aws lambda", "resources/aws/compute/lambda.png"),
    ("Vault", r"vault", "resources/onprem/security/vault.png"),
    ("Firecracker", r"firecracker", "resources/onprem/container/firecracker.png"),
    ("Envoy", r"envoy", "resources/onprem/network/envoy.png"),
    ("NGINX", r"nginx", "resources/onprem/network/nginx.png"),
    ("HAProxy", r"haproxy", "resources/onprem/network/haproxy.png"),
    ("Kong", r"kong", "resources/onprem/network/kong.png"),
    ("Traefik", r"traefik", "resources/onprem/network/traefik.png"),
    ("Istio", r"istio", "resources/onprem/network/istio.png"),
    ("ZooKeeper", r"zookeeper", "resources/onprem/network/zookeeper.png"),
    ("etcd", r"etcd", "resources/onprem/network/etcd.png"),
    ("Consul", r"consul", "resources/onprem/network/consul.png"),
    ("Prometheus", r"prometheus", "resources/onprem/monitoring/prometheus.png"),
    ("Thanos", r"thanos", "resources/onprem/monitoring/thanos.png"),
    ("Mimir", r"mimir", "resources/onprem/monitoring/mimir.png"),
    ("Grafana", r"grafana", "resources/onprem/monitoring/grafana.png"),
    ("Loki", r"loki", "resources/onprem/logging/loki.png"),
    ("Jaeger", r"jaeger", "resources/onprem/tracing/jaeger.png"),
    ("Tempo", r"tempo", "resources/onprem/tracing/tempo.png"),
    ("PagerDuty", r"pagerduty", "resources/saas/alerting/pagerduty.png"),
)

FAMILY_COLOURS: dict[str, str] = {
    "edge": "#546E7A",
    "security": "#5D4037",
    "safety": "#00838F",
    "human": "#6D4C41",
    "compute": "#1565C0",
    "messaging": "#E65100",
    "data": "#2E7D32",
    "ai": "#6A1B9A",
    "observability": "#37474F",
}

KIND_BADGES: dict[str, str] = {
    "client": "USER",
    "dns": "DNS",
    "cdn": "CDN",
    "load_balancer": "LB",
    "api_gateway": "API",
    "ui": "UI",
    "auth": "AUTH",
    "rate_limiter": "RATE",
    "secrets_store": "KEYS",
    "sandbox": "SBX",
    "safety_filter": "SAFE",
    "audit_log": "AUDIT",
    "human_review": "HUMAN",
    "service": "SVC",
    "worker": "WORK",
    "scheduler": "CRON",
    "queue": "QUEUE",
    "stream": "STRM",
    "cache": "CACHE",
    "database": "DB",
    "object_store": "BLOB",
    "search_index": "SRCH",
    "vector_index": "VEC",
    "graph_store": "GRAPH",
    "feature_store": "FEAT",
    "model_store": "MREG",
    "warehouse": "DWH",
    "llm": "LLM",
    "embedding_model": "EMB",
    "ml_model": "ML",
    "metrics": "METR",
    "tracing": "TRACE",
    "logging": "LOGS",
    "alerting": "ALERT",
}
"""The neutral tag of each kind (no vendor's logo)."""

NEUTRAL_IMAGES: dict[str, str] = {
    "client": "resources/onprem/client/users.png",
    "human_review": "resources/onprem/client/user.png",
}
"""Kinds whose neutral icon is an image (generic people, no vendor)."""
