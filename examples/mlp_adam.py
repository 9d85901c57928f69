# The seed document's second script (an nn.Module with a Linear layer trained by Adam),
# with only its imports changed.
import jtorch as torch
from jtorch import nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(in_features=10, out_features=20)

    def forward(self, x):
        return self.fc1(x)

model = Net()                   # 构建模型
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)   # 创建优化器

for epoch in range(100):
    inputs = torch.randn(size=(20, 10), requires_grad=True)    # 输入数据
    targets = torch.randn(size=(20, 20))                       # 标签
    optimizer.zero_grad()                                      # 清空梯度信息
    outputs = model(inputs)                                    # 前向传播
    loss = ((outputs - targets)**2).mean()                     # 损失函数
    loss.backward()                                            # 反向传播
    optimizer.step()                                           # 参数更新
